"""What the system tells people: the catalogue of events, who receives each and where its link leads."""
