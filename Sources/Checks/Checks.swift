// Placeholder: Checks module.
