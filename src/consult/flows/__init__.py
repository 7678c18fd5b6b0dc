"""The app's flows: the caseworker's walk (and training, which walks a demo client)."""
