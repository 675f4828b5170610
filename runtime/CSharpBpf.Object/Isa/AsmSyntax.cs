namespace CSharpBpf.Object.Isa;

/// <summary>
/// Which spelling the disassembler uses. The two differ only for encodings whose llvm-objdump text
/// drops information; everything clang emits into an object file prints the same in both.
/// </summary>
public enum AsmSyntax
{
    /// <summary>
    /// llvm-objdump-22's text and nothing else, character for character. Lossy where llvm is: a
    /// bpf-to-bpf call (src 1) and a kfunc call (src 2) both print as <c>call imm</c>, the second
    /// slot's imm of a pseudo 64-bit load and the imm of LD_IND are not shown.
    /// </summary>
    Llvm,

    /// <summary>
    /// llvm-objdump's text, extended where llvm's is lossy so that bytes -> text -> bytes is exact:
    /// <c>call pc+0xd</c> (local call, as the kernel's verifier log spells it), <c>call kfunc 0x1234</c>
    /// and <c>call kfunc 0x1234, 0x1</c> (BTF id, module fd_array index), <c>ld_pseudo r1, 0x2, 0x5, 0x8</c>
    /// (fourth operand: the second slot's imm), <c>r0 = *(u32 *)skb[r1 + 0x4]</c>.
    /// This is what <see cref="Assembler"/> reads back.
    /// </summary>
    Lossless,
}
