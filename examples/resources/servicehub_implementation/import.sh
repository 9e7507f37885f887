# An implementation is imported by its Gateway Service's id or name;
# service and version are read back from the Gateway Service's tags.
terraform import servicehub_implementation.payments_v1 payments-v1
terraform import servicehub_implementation.payments_v1 4e3ad2e4-0bc4-4638-8e34-c84a417ba39b
