"""The Textual UI: screens, widgets, bindings and styles. It calls the core only."""
