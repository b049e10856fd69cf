// Placeholder: ICMP module.
