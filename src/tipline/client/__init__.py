"""tipline.client: what a bank's or an app's program uses to ask a tipline server. It imports
nothing of the server (tipline's bottom layer)."""
