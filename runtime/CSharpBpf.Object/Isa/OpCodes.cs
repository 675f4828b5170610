namespace CSharpBpf.Object.Isa;

/// <summary>The three low bits of an opcode (RFC 9669 §3).</summary>
public enum InstructionClass : byte
{
    Ld = 0x00,
    Ldx = 0x01,
    St = 0x02,
    Stx = 0x03,
    Alu = 0x04,
    Jmp = 0x05,
    Jmp32 = 0x06,
    Alu64 = 0x07,
}

/// <summary>Bit 3 of arithmetic and jump opcodes: the second operand is imm (K) or src (X).</summary>
public enum SourceOperand : byte
{
    K = 0x00,
    X = 0x08,
}

/// <summary>The high four bits of ALU/ALU64 opcodes (RFC 9669 §4.1).</summary>
public enum AluOp : byte
{
    Add = 0x00,
    Sub = 0x10,
    Mul = 0x20,
    Div = 0x30,
    Or = 0x40,
    And = 0x50,
    Lsh = 0x60,
    Rsh = 0x70,
    Neg = 0x80,
    Mod = 0x90,
    Xor = 0xa0,
    Mov = 0xb0,
    Arsh = 0xc0,
    End = 0xd0,
}

/// <summary>The high four bits of JMP/JMP32 opcodes (RFC 9669 §4.3).</summary>
public enum JmpOp : byte
{
    Ja = 0x00,
    Jeq = 0x10,
    Jgt = 0x20,
    Jge = 0x30,
    Jset = 0x40,
    Jne = 0x50,
    Jsgt = 0x60,
    Jsge = 0x70,
    Call = 0x80,
    Exit = 0x90,
    Jlt = 0xa0,
    Jle = 0xb0,
    Jslt = 0xc0,
    Jsle = 0xd0,
    /// <summary>JMP | JCOND (0xe5): <c>may_goto</c>, a bounded-loop escape the kernel may take (LLVM 19+, Linux 6.9+).</summary>
    Jcond = 0xe0,
}

/// <summary>Bits 3-4 of load/store opcodes: the access width.</summary>
public enum MemSize : byte
{
    W = 0x00,
    H = 0x08,
    B = 0x10,
    DW = 0x18,
}

/// <summary>Bits 5-7 of load/store opcodes (RFC 9669 §5).</summary>
public enum MemMode : byte
{
    Imm = 0x00,
    Abs = 0x20,
    Ind = 0x40,
    Mem = 0x60,
    MemSx = 0x80,
    Atomic = 0xc0,
}

/// <summary>The imm field of atomic instructions (RFC 9669 §5.3).</summary>
public enum AtomicOp : int
{
    Add = 0x00,
    Or = 0x40,
    And = 0x50,
    Xor = 0xa0,
    FetchAdd = 0x01,
    FetchOr = 0x41,
    FetchAnd = 0x51,
    FetchXor = 0xa1,
    Xchg = 0xe1,
    CmpXchg = 0xf1,
    /// <summary>Load-acquire (any size): dst = *(src + off) with acquire ordering (LLVM 21+, Linux 6.15+).</summary>
    LoadAcquire = 0x100,
    /// <summary>Store-release (any size): *(dst + off) = src with release ordering (LLVM 21+, Linux 6.15+).</summary>
    StoreRelease = 0x110,
}

/// <summary>The src field of the 64-bit immediate load: how imm is to be read (RFC 9669 §5.4).</summary>
public enum PseudoSource : byte
{
    Imm64 = 0,
    MapFd = 1,
    MapValue = 2,
    BtfId = 3,
    Func = 4,
    MapIndex = 5,
    MapIndexValue = 6,
}

/// <summary>The src field of a CALL: helper id, local (bpf-to-bpf) call, or kfunc by BTF id.</summary>
public enum CallKind : byte
{
    Helper = 0,
    Local = 1,
    Kfunc = 2,
}
