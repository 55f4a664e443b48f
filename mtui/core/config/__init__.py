"""The user's settings: the config file, where the database lives, theme files."""
