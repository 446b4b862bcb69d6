//! The interactive browser: state, messages, the pure update, commands, and the loop that runs them.
