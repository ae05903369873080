"""The analyst's workspace: the queue of reports and the view where a report is worked."""
