"""After the championship: the static results site (`podium publish`) and the certificates
(`podium certificates`), from the standings ranking stored (docs/after-the-championship.md)."""
