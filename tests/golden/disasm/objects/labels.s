# Local labels that are real symbols (LBB0_1 ...), so llvm-objdump labels blocks and jumps with them.
	.text
	.globl	prog
	.type	prog,@function
prog:
	r0 = 0
	if r1 s> 5 goto LBB0_2
	r0 = 1
LBB0_1:
	r0 += 1
	if r0 < 10 goto LBB0_1
LBB0_2:
	call sub
	exit
	.type	sub,@function
sub:
	r0 = 7
	if r1 == 0 goto LBB1_1
	r0 = 8
LBB1_1:
	exit
