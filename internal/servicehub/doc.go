// Package servicehub is the Service Hub domain, free of Terraform: how a
// service version's implementation is recorded on a Kong Gateway Service
// (provider-owned tags), the rule of one implementation per version per
// runtime group, and a service's upstream address as url or components.
package servicehub
