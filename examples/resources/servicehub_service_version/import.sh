# A service version is imported by the API's id, or as <service>:<version>
# (split at the last colon: a service name may contain colons, a version
# may not).
terraform import servicehub_service_version.payments_v1 9f5061ce-78f6-4452-9108-ad7c02821fd5
terraform import servicehub_service_version.payments_v1 payments:v1
