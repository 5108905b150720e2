"""Layout bench: one set of invented tasks rendered in many layouts and formats, scored per layout."""
