using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Object.Tests.Isa;

/// <summary>
/// All 256 opcodes with many field values (registers, offsets 0/1/8/16/32, widths, atomic
/// operations, pseudo sources, broken second slots), disassembled by us and by llvm-mc-22:
/// whatever we accept prints exactly as llvm prints it, and whatever llvm accepts that we refuse
/// is bits llvm's text does not describe (reserved fields it ignores, registers beyond r10).
/// The llvm answers are computed live when LLVM is installed and kept in
/// tests/golden/disasm/encodings.llvm.txt.
/// </summary>
public class LlvmEncodingConformanceTests
{
    const string GoldenName = "disasm/encodings.llvm.txt";

    static IEnumerable<byte[]> Encodings()
    {
        var seen = new HashSet<string>();
        for (int op = 0; op < 256; op++)
        {
            var tuples = new List<(int Dst, int Src, int Off, int Imm)>();
            if (op == Insns.WideLoadOpcode)
            {
                foreach (int src in Enumerable.Range(0, 8))
                    foreach (int off in new[] { 0, 1 })
                        foreach (int imm in new[] { 0, -4 })
                            tuples.Add((1, src, off, imm));
                foreach (var t in tuples)
                    foreach (var second in new[] { (0, 0, 0, 0, 0), (0, 0, 0, 0, 7), (0, 0, 0, 0, -1), (1, 0, 0, 0, 0), (0, 1, 0, 0, 0), (0, 0, 2, 0, 0), (0, 0, 0, 3, 0) })
                        yield return Slots(new Instruction((byte)op, (byte)t.Dst, (byte)t.Src, (short)t.Off, t.Imm),
                            new Instruction((byte)second.Item1, (byte)second.Item2, (byte)second.Item3, (short)second.Item4, second.Item5));
                continue;
            }
            foreach (int src in new[] { 0, 2 })
                foreach (int off in new[] { 0, 1, 8, -3 })
                    foreach (int imm in new[] { 0, 16, -4, 0x100 })
                        tuples.Add((1, src, off, imm));
            foreach (int off in new[] { 16, 32 }) tuples.Add((1, 2, off, 0));
            foreach (int imm in new[] { 32, 64, 1 }) tuples.Add((1, 0, 0, imm));
            foreach (int imm in new[] { 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1, 0x110, 0x02, 0x10001 }) tuples.Add((1, 2, 0, imm));
            foreach (int src in new[] { 1, 3, 11 }) tuples.Add((0, src, 0, 0));
            foreach (int dst in new[] { 0, 10, 11 }) tuples.Add((dst, 0, 0, 0));
            tuples.Add((0, 1, 1, 1));
            tuples.Add((0, 2, 3, 5));
            tuples.Add((10, 10, 0x7fff, int.MinValue));
            foreach (var t in tuples)
            {
                var slot = Slots(new Instruction((byte)op, (byte)t.Dst, (byte)t.Src, (short)t.Off, t.Imm));
                if (seen.Add(LlvmMc.Hex(slot))) yield return slot;
            }
        }
    }

    static byte[] Slots(params Instruction[] slots) => InstructionCodec.Encode(slots);

    static List<(string Hex, string Llvm)> Reference()
    {
        if (LlvmMc.Available)
        {
            var encodings = Encodings().ToList();
            var answers = LlvmMc.Disassemble(encodings);
            var sb = new StringBuilder();
            for (int i = 0; i < encodings.Count; i++)
                sb.Append(LlvmMc.Hex(encodings[i])).Append('\t').Append(answers[i]).Append('\n');
            GoldenFile.AssertMatches(GoldenName, sb.ToString());
        }
        return File.ReadAllLines(Path.Combine(GoldenFile.Directory, GoldenName))
            .Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(p => (p[0], p[1])).ToList();
    }

    [Fact]
    public void EveryEncoding_WeAccept_PrintsAsLlvm_AndEveryOneWeRefuse_LlvmPrintsLossily()
    {
        var rows = Reference();
        Assert.True(rows.Count > 10000, $"only {rows.Count} encodings");
        var problems = new List<string>();
        int agreed = 0, refusedLossy = 0, bothRefused = 0;
        foreach (var (hex, llvm) in rows)
        {
            byte[] bytes = Enumerable.Range(0, hex.Length / 2).Select(i => Convert.ToByte(hex.Substring(i * 2, 2), 16)).ToArray();
            var program = InstructionCodec.Decode(bytes);
            string? ours;
            try
            {
                var d = Disassembler.Decode(program, 0, AsmSyntax.Llvm);
                ours = d.SlotCount == program.Length ? LlvmMc.Normalize(d.Text) : null;
            }
            catch (BpfFormatException)
            {
                ours = null;
            }

            if (ours != null)
            {
                if (ours == llvm) agreed++;
                else problems.Add($"{hex}: llvm `{llvm}`, ours `{ours}`");
            }
            else if (llvm == "<invalid>")
                bothRefused++;
            else if (Regex.IsMatch(llvm, @"\b[rw](1[1-5])\b") || Regex.IsMatch(llvm, @"^ld_pseudo r\d+, 0x([7-9a-f]|\w\w+),"))
                refusedLossy++; // a register eBPF does not have, or a pseudo source kind the kernel does not define
            else
            {
                // llvm's text must then describe other bits than these: reading it gives different bytes.
                try
                {
                    if (InstructionCodec.Encode(Assembler.Assemble(llvm)).SequenceEqual(bytes))
                        problems.Add($"{hex}: refused, yet llvm's `{llvm}` means exactly these bits");
                    else
                        refusedLossy++;
                }
                catch (BpfFormatException e)
                {
                    problems.Add($"{hex}: llvm prints `{llvm}`, which our assembler cannot read: {e.Message}");
                }
            }
        }
        Assert.True(problems.Count == 0, $"{problems.Count} problems (agreed {agreed}):\n" + string.Join("\n", problems.Take(60)));
        Assert.True(agreed > 1000 && refusedLossy > 100 && bothRefused > 1000, $"agreed {agreed}, refused-lossy {refusedLossy}, both refused {bothRefused}");
    }
}
