# A plugin is imported by its id (or its instance_name). The configuration
# Kong holds that differs from the plugin's defaults becomes config; fields
# the plugin's schema marks secret become config_sensitive.
terraform import servicehub_plugin.payments_rate_limit 5f1c1a2e-7d3b-4c55-9a53-6a0f0d6e9b1c
