// Placeholder: FSM module.
