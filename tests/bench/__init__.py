"""`make bench`: podium's figures, measured here on real servers.

Not part of `make test`. Each benchmark prints its conditions and figures and writes them to
bench-results/ as JSON (and the screens benchmark a PNG of p99 latency against screens):

screens  mark to screen: N WebSocket screens on one skill, an expert posting marks at a steady
         pace; podium against a bare `websockets.broadcast` server and a python-socketio
         server sending frames of the same size
pipeline where a mark's time goes on its way to one screen: POST to published, stored in the
         log, answered, board published, on the screen; and each process's CPU per mark
intake   accepted, durably stored marks per second from 32 concurrent clients
jetstream  the log's own ceiling: JetStream publishes per second, 32 in flight, with and
         without an fsync per message, nothing of podium running
replay   events per second when ranking rebuilds its projection from 100,000 marks
publish  a mark stored in the log to its standings snapshot published (ranking alone)
memory   resident memory of broadcast per connected screen, and of the whole idle stack
judges   the chief's judgement analysis of 40 competitors x 15 judgement aspects x 10 judges:
         the table computed, and GET /api/skills/{skill}/judges answered by intake
"""
