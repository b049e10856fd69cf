// Placeholder: BSON module.
