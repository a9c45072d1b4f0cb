#include "config.h"
#include <stdio.h>
int main(void) { puts("alloctop: under construction"); return 0; }
