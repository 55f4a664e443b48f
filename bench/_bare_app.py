"""The reference for the first-paint benchmark: a bare Textual app (Header, Static, Footer)."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareApp(App):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("bare textual ready")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
