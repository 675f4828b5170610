using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Isa;
using Xunit;

namespace CSharpBpf.Object.Tests.Isa;

/// <summary>
/// Mutated instruction streams and assembly texts either decode or raise BpfFormatException;
/// any other exception (IndexOutOfRange, ArgumentOutOfRange, NullReference...) fails.
/// </summary>
public class InstructionStreamFuzzTests
{
    const int Seed = 20261122;
    const int Iterations = 5000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MutatedBytes_DecodeOrRaiseBpfFormatException(bool bigEndian)
    {
        var rng = new Random(Seed + (bigEndian ? 1 : 0));
        int decoded = 0, rejected = 0;
        for (int i = 0; i < Iterations; i++)
        {
            // A random 40-instruction slice of the catalogue: every form gets mutated over the run.
            var slice = IsaCatalog.Entries.OrderBy(_ => rng.Next()).Take(40).SelectMany(e => e).ToArray();
            byte[] bytes = Mutate(InstructionCodec.Encode(slice, bigEndian), rng);
            try
            {
                var program = InstructionCodec.Decode(bytes, bigEndian);
                foreach (var syntax in new[] { AsmSyntax.Llvm, AsmSyntax.Lossless })
                    Disassembler.Disassemble(program, syntax);
                // What decodes must also survive text and come back identical.
                Assert.Equal(program, Assembler.Assemble(Disassembler.ToText(program)));
                decoded++;
            }
            catch (BpfFormatException e)
            {
                Assert.InRange(e.Offset, 0, bytes.Length);
                rejected++;
            }
        }
        // Both outcomes must actually occur, or the mutations are not exercising anything.
        Assert.True(decoded > 100 && rejected > 100, $"decoded {decoded}, rejected {rejected}");
    }

    [Fact]
    public void MutatedAssemblyText_AssemblesOrRaisesBpfFormatException()
    {
        var rng = new Random(Seed);
        string text = Disassembler.ToText(IsaCatalog.Program());
        var lines = text.Split('\n');
        const string alphabet = "rw0123456789x+-*/=<>()[]&|^%s ,:lgotckpu_#;";
        int ok = 0, bad = 0;
        for (int i = 0; i < Iterations; i++)
        {
            var chars = string.Join("\n", lines.OrderBy(_ => rng.Next()).Take(20)).ToCharArray().ToList();
            int edits = 1 + rng.Next(4);
            for (int k = 0; k < edits && chars.Count > 0; k++)
            {
                int at = rng.Next(chars.Count);
                switch (rng.Next(3))
                {
                    case 0: chars.RemoveAt(at); break;
                    case 1: chars.Insert(at, alphabet[rng.Next(alphabet.Length)]); break;
                    default: chars[at] = alphabet[rng.Next(alphabet.Length)]; break;
                }
            }
            try
            {
                var program = Assembler.Assemble(new string(chars.ToArray()));
                Disassembler.Disassemble(program);
                ok++;
            }
            catch (BpfFormatException)
            {
                bad++;
            }
        }
        Assert.True(ok > 100 && bad > 100, $"assembled {ok}, rejected {bad}");
    }

    static byte[] Mutate(byte[] original, Random rng)
    {
        var bytes = new List<byte>(original);
        int mutations = 1 + rng.Next(3);
        for (int m = 0; m < mutations; m++)
        {
            switch (rng.Next(6))
            {
                case 0: bytes[rng.Next(bytes.Count)] ^= (byte)(1 << rng.Next(8)); break;
                case 1: bytes[rng.Next(bytes.Count)] = (byte)rng.Next(256); break;
                case 2: // a fresh random slot somewhere
                    int at = rng.Next(bytes.Count / 8) * 8;
                    for (int k = 0; k < 8; k++) bytes[at + k] = (byte)rng.Next(256);
                    break;
                case 3: // truncate at a slot boundary (may cut a 64-bit load in half)
                    bytes.RemoveRange(bytes.Count - 8 * (1 + rng.Next(3)), 8);
                    if (bytes.Count < 16) bytes.AddRange(original.Take(16));
                    break;
                case 4: // truncate mid-slot
                    if (rng.Next(10) == 0) bytes.RemoveAt(bytes.Count - 1);
                    break;
                default: // register nibble to an out-of-range register
                    bytes[rng.Next(bytes.Count / 8) * 8 + 1] |= 0xb0;
                    break;
            }
        }
        return bytes.ToArray();
    }
}
