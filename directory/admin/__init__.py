"""The web administration: login, the dashboard and the pages administrators manage data with."""
