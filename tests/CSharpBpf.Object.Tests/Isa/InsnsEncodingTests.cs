using CSharpBpf.Object.Isa;
using Xunit;

namespace CSharpBpf.Object.Tests.Isa;

/// <summary>
/// Where the factory puts each field for the forms whose llvm text hides them (pseudo loads,
/// kfunc calls), checked byte for byte against the kernel's reading (include/uapi/linux/bpf.h).
/// </summary>
public class InsnsEncodingTests
{
    static string Hex(params Instruction[] slots) => LlvmMc.Hex(InstructionCodec.Encode(slots));

    [Fact]
    public void PseudoLoads_CarryKindInSrcAndOperandsInBothImms()
    {
        Assert.Equal("18110000030000000000000000000000", Hex(Insns.LoadMapFd(1, 3)));          // src 1: imm = map fd
        Assert.Equal("18210000030000000000000010000000", Hex(Insns.LoadMapValue(1, 3, 16)));   // src 2: imm = fd, imm2 = value offset
        Assert.Equal("18310000674500000000000005000000", Hex(Insns.LoadBtfId(1, 0x4567, 5)));  // src 3: imm = btf id, imm2 = module btf fd
        Assert.Equal("18410000140000000000000000000000", Hex(Insns.LoadFunc(1, 20)));    // src 4: imm = slot offset
        Assert.Equal("18510000020000000000000000000000", Hex(Insns.LoadMapIndex(1, 2)));      // src 5: imm = fd_array index
        Assert.Equal("18610000020000000000000008000000", Hex(Insns.LoadMapIndexValue(1, 2, 8)));
        Assert.Equal("18010000ffffffff00000000ffffff7f", Hex(Insns.LoadImm64(1, 0x7fffffff_ffffffff)));
    }

    [Fact]
    public void Calls_CarryKindInSrc_KfuncModuleIndexInOffset()
    {
        Assert.Equal("8500000001000000", Hex(Insns.CallHelper(1)));
        Assert.Equal("85100000fdffffff", Hex(Insns.CallLocal(-3)));
        Assert.Equal("8520020034120000", Hex(Insns.CallKfunc(0x1234, 2)));
        Assert.Equal("8d03000000000000", Hex(Insns.Callx(3)));
        Assert.Equal("9500000000000000", Hex(Insns.Exit()));
    }

    [Fact]
    public void V4Forms_UseOffsetAndImmAsRfc9669Says()
    {
        Assert.Equal("3f21010000000000", Hex(Insns.SDiv64Reg(1, 2)));      // offset 1 = signed
        Assert.Equal("9c21010000000000", Hex(Insns.SMod32Reg(1, 2)));
        Assert.Equal("bf21100000000000", Hex(Insns.Movsx64(1, 2, 16)));    // offset = source width
        Assert.Equal("d701000020000000", Hex(Insns.Bswap(1, 32)));         // ALU64 | END, imm = width
        Assert.Equal("dc01000010000000", Hex(Insns.ToBe(1, 16)));          // ALU | END | X
        Assert.Equal("0600000000000100", Hex(Insns.Gotol(0x10000)));       // JMP32 | JA, offset in imm
        Assert.Equal("8121fcff00000000", Hex(Insns.Ldsx(MemSize.W, 1, 2, -4)));
        Assert.Equal("db21080001000000", Hex(Insns.AtomicFetchAdd(MemSize.DW, 1, 2, 8)));
        Assert.Equal("c3210000f1000000", Hex(Insns.AtomicCmpXchg(MemSize.W, 1, 2, 0)));
        Assert.Equal("e500050000000000", Hex(Insns.MayGoto(5)));
        Assert.Equal("bf21010000000100", Hex(Insns.AddrSpaceCast(1, 2, 1, 0)));
    }
}
