// An app that does nothing: what is measured is the start and the exit around it.
