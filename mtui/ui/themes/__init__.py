"""mtui's themes and the signal colours taken from them."""
