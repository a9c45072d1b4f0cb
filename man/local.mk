# man: alloctop(1) and the shim's page; helpers add theirs in their own
# local.mk.
dist_man_MANS += man/alloctop.1 man/liballoctop.7
