using System.Linq;
using CSharpBpf.Object.Isa;
using Xunit;

namespace CSharpBpf.Object.Tests.Isa;

public class InstructionCodecRoundTripTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryCatalogForm_EncodesAndDecodesBackExactly(bool bigEndian)
    {
        foreach (var entry in IsaCatalog.Entries)
        {
            byte[] bytes = InstructionCodec.Encode(entry, bigEndian);
            Assert.Equal(entry.Length * 8, bytes.Length);
            Assert.Equal(entry, InstructionCodec.Decode(bytes, bigEndian));
        }
    }

    [Fact]
    public void LittleEndian_PutsDstInLowNibbleAndFieldsLittleEndian()
    {
        var insn = Insns.Alu64Reg(AluOp.Add, 1, 2).WithOffset(0x0102).WithImm(0x12345678);
        Assert.Equal(new byte[] { 0x0f, 0x21, 0x02, 0x01, 0x78, 0x56, 0x34, 0x12 }, InstructionCodec.Encode(new[] { insn }));
    }

    [Fact]
    public void BigEndian_PutsDstInHighNibbleAndFieldsBigEndian()
    {
        var insn = Insns.Alu64Reg(AluOp.Add, 1, 2).WithOffset(0x0102).WithImm(0x12345678);
        Assert.Equal(new byte[] { 0x0f, 0x12, 0x01, 0x02, 0x12, 0x34, 0x56, 0x78 }, InstructionCodec.Encode(new[] { insn }, bigEndian: true));
    }

    [Fact]
    public void BothEndiannesses_DisassembleToTheSameText()
    {
        var program = IsaCatalog.Program();
        var le = InstructionCodec.Decode(InstructionCodec.Encode(program));
        var be = InstructionCodec.Decode(InstructionCodec.Encode(program, bigEndian: true), bigEndian: true);
        Assert.Equal(Disassembler.ToText(le), Disassembler.ToText(be));
    }

    [Fact]
    public void KnownEncodings_MatchClangOutput()
    {
        // Bytes taken from clang-22 -target bpf -mcpu=v4 objects (llvm-objdump -d).
        Assert.Equal("18010000896745230000000001000000", LlvmMc.Hex(InstructionCodec.Encode(Insns.LoadImm64(1, 0x123456789))));
        Assert.Equal("8500000001000000", LlvmMc.Hex(InstructionCodec.Encode(new[] { Insns.CallHelper(1) })));
        Assert.Equal("8d01000000000000", LlvmMc.Hex(InstructionCodec.Encode(new[] { Insns.Callx(1) })));
        Assert.Equal("0600000001000000", LlvmMc.Hex(InstructionCodec.Encode(new[] { Insns.Gotol(1) })));
        Assert.Equal("4810000000000000", LlvmMc.Hex(InstructionCodec.Encode(new[] { Insns.LdInd(MemSize.H, 1, 0) })));
        Assert.Equal("2000000004000000", LlvmMc.Hex(InstructionCodec.Encode(new[] { Insns.LdAbs(MemSize.W, 4) })));
    }

    [Fact]
    public void Catalog_CoversEveryOpcodeOfTheFormTable()
    {
        var opcodes = IsaCatalog.Entries.Select(e => e[0].Opcode).ToHashSet();
        foreach (var form in InstructionForms.All)
            Assert.True(opcodes.Contains(form.Opcode), $"catalog misses opcode 0x{form.Opcode:x2} ({form.Template})");
    }

    [Fact]
    public void Catalog_HitsEveryFormOfTheFormTable_InItsSyntax()
    {
        var hit = new System.Collections.Generic.HashSet<object>();
        foreach (var entry in IsaCatalog.Entries)
            foreach (var syntax in new[] { AsmSyntax.Llvm, AsmSyntax.Lossless })
                hit.Add(Disassembler.FindForm(entry, 0, syntax).Form);
        var missed = InstructionForms.All.Where(f => f.Syntax != FormSyntax.InputOnly && !hit.Contains(f)).Select(f => f.ToString()).ToList();
        Assert.True(missed.Count == 0, "catalog misses forms: " + string.Join("; ", missed));
    }
}
