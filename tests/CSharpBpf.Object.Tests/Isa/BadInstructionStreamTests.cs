using System;
using CSharpBpf.Object.Isa;
using Xunit;

namespace CSharpBpf.Object.Tests.Isa;

public class BadInstructionStreamTests
{
    static BpfFormatException Bad(byte[] bytes) =>
        Assert.Throws<BpfFormatException>(() => Disassembler.Disassemble(InstructionCodec.Decode(bytes)));

    static byte[] Bytes(params Instruction[] program) => InstructionCodec.Encode(program);

    [Fact]
    public void TruncatedSlot_NamesTheOffsetOfTheIncompleteSlot()
    {
        var bytes = Bytes(Insns.Mov64Imm(0, 1), Insns.Exit());
        var e = Assert.Throws<BpfFormatException>(() => InstructionCodec.Decode(bytes, 0, 12));
        Assert.Equal(8, e.Offset);
        Assert.Equal("instructions", e.Format);
    }

    [Fact]
    public void RangeOutsideBuffer_IsAFormatError()
    {
        Assert.Throws<BpfFormatException>(() => InstructionCodec.Decode(new byte[8], 4, 8));
        Assert.Throws<BpfFormatException>(() => InstructionCodec.DecodeSlot(new byte[8], 1));
    }

    [Fact]
    public void WideLoadMissingItsSecondSlot_NamesTheFirstSlot()
    {
        var program = Insns.LoadImm64(1, 5);
        var e = Bad(Bytes(Insns.Mov64Imm(0, 0), program[0]));
        Assert.Equal(8, e.Offset);
        Assert.Contains("second slot", e.Message);
    }

    [Fact]
    public void WideLoadWithANonEmptySecondSlot_NamesTheSecondSlot()
    {
        var program = Insns.LoadImm64(1, 5);
        var e = Bad(Bytes(program[0], Insns.Exit()));
        Assert.Equal(8, e.Offset);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0xff)]
    [InlineData(0x8e)]
    [InlineData(0x38)] // LD_ABS of 64 bits does not exist
    public void UnknownOpcode_NamesItsOffset(byte opcode)
    {
        var e = Bad(Bytes(Insns.Exit(), new Instruction(opcode, 0, 0, 0, 0)));
        Assert.Equal(8, e.Offset);
        Assert.Contains($"0x{opcode:x2}", e.Message);
    }

    [Theory]
    [InlineData(0xb7, 11, 0, 0, 0)]   // r11 does not exist
    [InlineData(0xbf, 1, 15, 0, 0)]   // nor r15
    [InlineData(0xb7, 1, 2, 0, 5)]    // K form with a src register
    [InlineData(0xbf, 1, 2, 0, 5)]    // X form with an imm
    [InlineData(0x07, 1, 0, 3, 5)]    // ALU with an offset
    [InlineData(0xbc, 1, 2, 32, 0)]   // movsx32 from 32 bits
    [InlineData(0xd4, 1, 0, 0, 8)]    // le8
    [InlineData(0x95, 0, 0, 0, 1)]    // exit with an imm
    [InlineData(0x85, 0, 3, 0, 1)]    // call with an unknown src kind
    [InlineData(0x85, 0, 0, 1, 1)]    // helper call with an offset
    [InlineData(0xc3, 1, 2, 0, 0x02)] // unknown atomic op
    [InlineData(0xd3, 1, 2, 0, 0x00)] // 8-bit atomic add does not exist
    [InlineData(0x20, 1, 0, 0, 4)]    // LD_ABS loads into r0 only
    public void ReservedFieldsOrBadRegisters_AreFormatErrors(byte op, byte dst, byte src, short off, int imm)
    {
        var e = Bad(Bytes(Insns.Exit(), Insns.Exit(), new Instruction(op, dst, src, off, imm)));
        Assert.Equal(16, e.Offset);
    }

    [Fact]
    public void BaseOffset_IsAddedToReportedOffsets()
    {
        var program = InstructionCodec.Decode(Bytes(Insns.Exit(), new Instruction(0xff, 0, 0, 0, 0)));
        var e = Assert.Throws<BpfFormatException>(() => Disassembler.Disassemble(program, AsmSyntax.Llvm, baseOffset: 0x40));
        Assert.Equal(0x48, e.Offset);
    }

    [Theory]
    [InlineData("r0 = ", 1)]
    [InlineData("exit\nfoo r1", 2)]
    [InlineData("r11 = 1", 1)]
    [InlineData("r1 = 0x100000000", 1)]
    [InlineData("goto +0x8000", 1)]
    [InlineData("goto nowhere", 1)]
    [InlineData("a:\na:\nexit", 2)]
    [InlineData("r1 = le8 r1", 1)]
    [InlineData("r1 = le16 r2", 1)]
    [InlineData("r0 = 0x1g", 1)]
    public void BadAssembly_RaisesFormatErrorNamingTheLine(string text, int line)
    {
        var e = Assert.Throws<BpfFormatException>(() => Assembler.Assemble(text));
        Assert.Equal("assembly", e.Format);
        Assert.Contains($"line {line}", e.Message);
    }

    [Fact]
    public void Factory_RejectsOutOfRangeArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Insns.Ja(0x8000));
        Assert.Throws<ArgumentOutOfRangeException>(() => Insns.Mov64Imm(11, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Insns.Movsx32(1, 2, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => Insns.Bswap(1, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => Insns.Ldsx(MemSize.DW, 1, 2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Insns.Atomic(MemSize.B, AtomicOp.Add, 1, 2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Insns.JmpImm(JmpOp.Exit, 1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Insns.SignedAlu64Imm(AluOp.Add, 1, 0));
    }
}
