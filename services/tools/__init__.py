"""podium's command line and the operators' tools it runs: starting the stack (`podium up`),
one service (`runner`), tokens, the demo experts, exports, backups, the log reader, the
AsyncAPI document and the rebuild. Tools use the services; no service imports a tool.
"""
