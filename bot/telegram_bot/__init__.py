"""The Telegram layer: a thin shell that turns updates into calls to the answering core."""
