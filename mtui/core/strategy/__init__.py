"""Big M: the brief, goals and their KPIs, campaigns and their status."""
