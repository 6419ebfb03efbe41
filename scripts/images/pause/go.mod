module taskflow.local/pause

go 1.22
