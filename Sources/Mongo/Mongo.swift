// Placeholder: Mongo module.
