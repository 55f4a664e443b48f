"""The installed ``mtui`` run as a subprocess, as a user or a script would."""
