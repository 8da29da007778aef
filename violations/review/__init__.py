"""The officials' review workflow in the browser: the queue and the report page."""
