# A route is imported by its id or its name (names are case-sensitive).
terraform import servicehub_route.payments payments
terraform import servicehub_route.payments 9b1c2f4e-6d3a-4c1b-8e7f-2a5d0c9e1b34
