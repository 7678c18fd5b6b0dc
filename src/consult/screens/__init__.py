"""One module per screen; a screen composes widgets and returns its result on dismiss."""
