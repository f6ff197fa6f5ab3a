"""Browser explorer (vis-network page over the HTTP API). Reserved in the layout; the explorer
is built in its own issue, on top of `GET /entities/{id}/neighbors` and `GET /paths`."""
