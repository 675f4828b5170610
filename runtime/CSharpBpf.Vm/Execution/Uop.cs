namespace CSharpBpf.Vm.Execution;

/// <summary>
/// The engines' dense internal opcode: one value per distinct behaviour, so the interpreter's
/// switch is a jump table and neither engine re-examines offset fields (sdiv vs div, movsx widths)
/// at run time. K and X forms share a uop: the operand is a slot of the register file, either a
/// register (0..10) or the instruction's pre-extended immediate (see <see cref="DecodedProgram"/>).
/// </summary>
internal enum Uop : byte
{
    Invalid,
    Add64, Sub64, Mul64, Div64, SDiv64, Or64, And64, Lsh64, Rsh64, Neg64, Mod64, SMod64, Xor64, Mov64, Arsh64,
    Movsx64x8, Movsx64x16, Movsx64x32, Bswap16, Bswap32, Bswap64,
    Add32, Sub32, Mul32, Div32, SDiv32, Or32, And32, Lsh32, Rsh32, Neg32, Mod32, SMod32, Xor32, Mov32, Arsh32,
    Movsx32x8, Movsx32x16, Le16, Le32, Le64, Be16, Be32, Be64,
    Ja,
    Jeq64, Jgt64, Jge64, Jset64, Jne64, Jsgt64, Jsge64, Jlt64, Jle64, Jslt64, Jsle64,
    Jeq32, Jgt32, Jge32, Jset32, Jne32, Jsgt32, Jsge32, Jlt32, Jle32, Jslt32, Jsle32,
    CallHelper, TailCall, CallLocal, CallKfunc, Callx, Exit,
    LdImm64,
    Ldx8, Ldx16, Ldx32, Ldx64, Ldsx8, Ldsx16, Ldsx32,
    St8, St16, St32, St64,
    Stx8, Stx16, Stx32, Stx64,
    Atomic32, Atomic64,
    LdAbs8, LdAbs16, LdAbs32, LdInd8, LdInd16, LdInd32,
}

/// <summary>One decoded slot. <see cref="S"/> is the operand's file slot (register or immediate).</summary>
internal struct DecodedInsn
{
    public Uop Op;
    public byte D;
    public short Off;
    public int S;
    /// <summary>Absolute slot index of a jump or local-call target.</summary>
    public int Target;
    public int Imm;
}
