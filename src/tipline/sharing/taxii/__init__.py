"""TAXII 2.1 server at /taxii2/: the published objects a caller may receive, page by page, and
a writable collection partners POST their indicators into. Pure rules in `core` and
`collections`; queries in `repository`; use cases in `service`; the mounted application in
`app`."""
