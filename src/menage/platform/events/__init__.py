"""Events, their venues, residents' registrations, the agenda and iCalendar feeds."""
