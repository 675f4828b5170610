using System;
using System.Collections.Generic;

namespace CSharpBpf.Object.Isa;

/// <summary>
/// Byte-exact encoding of instruction slots (RFC 9669 §3.1). Little-endian puts dst in the low
/// nibble of the register byte; big-endian puts it in the high nibble and swaps offset and imm.
/// </summary>
public static class InstructionCodec
{
    public const int SlotSize = 8;

    public static Instruction[] Decode(byte[] bytes, bool bigEndian = false) => Decode(bytes, 0, bytes.Length, bigEndian);

    public static Instruction[] Decode(byte[] bytes, int start, int length, bool bigEndian = false)
    {
        if (bytes is null) throw new ArgumentNullException(nameof(bytes));
        if (start < 0 || length < 0 || start > bytes.Length || length > bytes.Length - start)
            throw new BpfFormatException("instructions", start, $"{length} bytes within a buffer of {bytes.Length}");
        if (length % SlotSize != 0)
            throw new BpfFormatException("instructions", start + length - length % SlotSize, "a whole 8-byte instruction slot");
        var result = new Instruction[length / SlotSize];
        for (int i = 0; i < result.Length; i++)
            result[i] = DecodeSlot(bytes, start + i * SlotSize, bigEndian);
        return result;
    }

    public static Instruction DecodeSlot(byte[] b, int at, bool bigEndian = false)
    {
        if (at < 0 || at > b.Length - SlotSize)
            throw new BpfFormatException("instructions", at, "a whole 8-byte instruction slot");
        byte regs = b[at + 1];
        if (bigEndian)
        {
            short off = (short)(b[at + 2] << 8 | b[at + 3]);
            int imm = b[at + 4] << 24 | b[at + 5] << 16 | b[at + 6] << 8 | b[at + 7];
            return new Instruction(b[at], (byte)(regs >> 4), (byte)(regs & 0xf), off, imm);
        }
        else
        {
            short off = (short)(b[at + 2] | b[at + 3] << 8);
            int imm = b[at + 4] | b[at + 5] << 8 | b[at + 6] << 16 | b[at + 7] << 24;
            return new Instruction(b[at], (byte)(regs & 0xf), (byte)(regs >> 4), off, imm);
        }
    }

    public static byte[] Encode(IReadOnlyList<Instruction> program, bool bigEndian = false)
    {
        var bytes = new byte[program.Count * SlotSize];
        for (int i = 0; i < program.Count; i++)
            EncodeSlot(program[i], bytes, i * SlotSize, bigEndian);
        return bytes;
    }

    public static void EncodeSlot(Instruction insn, byte[] b, int at, bool bigEndian = false)
    {
        b[at] = insn.Opcode;
        if (bigEndian)
        {
            b[at + 1] = (byte)(insn.Dst << 4 | insn.Src);
            b[at + 2] = (byte)(insn.Offset >> 8);
            b[at + 3] = (byte)insn.Offset;
            b[at + 4] = (byte)(insn.Imm >> 24);
            b[at + 5] = (byte)(insn.Imm >> 16);
            b[at + 6] = (byte)(insn.Imm >> 8);
            b[at + 7] = (byte)insn.Imm;
        }
        else
        {
            b[at + 1] = (byte)(insn.Src << 4 | insn.Dst);
            b[at + 2] = (byte)insn.Offset;
            b[at + 3] = (byte)(insn.Offset >> 8);
            b[at + 4] = (byte)insn.Imm;
            b[at + 5] = (byte)(insn.Imm >> 8);
            b[at + 6] = (byte)(insn.Imm >> 16);
            b[at + 7] = (byte)(insn.Imm >> 24);
        }
    }
}
