"""Facility reports (driftsmeldinger): a room's QR code, the report, triage, the technician's task."""
