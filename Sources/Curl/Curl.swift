// Placeholder: Curl module.
