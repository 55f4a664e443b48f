"""The app's furniture: footer, help, palette, prompts, notices and the messages panes send."""
