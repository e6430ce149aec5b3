"""What an operator watches: Prometheus metrics at /metrics and optional Sentry error reports.

Nothing here changes how a turn is answered; every hook only observes.
"""
