using System;
using System.Collections.Generic;
using CSharpBpf.Object.Elf;

namespace CSharpBpf.Object.Tests.Fuzz;

/// <summary>
/// Deterministic mutations of an object file: bit flips, truncations and random byte runs.
/// Three quarters of the mutations land in the bytes our readers interpret (ELF header, section
/// header table, symbol/string/relocation tables, .BTF, .BTF.ext, program sections, .maps,
/// .struct_ops); the rest anywhere (mostly DWARF, which must simply pass through).
/// Case <c>n</c> of a fixture is reproducible alone: its Random is seeded with (seed, n).
/// </summary>
public sealed class FixtureMutator
{
    private readonly byte[] _original;
    private readonly List<(int Start, int Length)> _regions = new();

    public FixtureMutator(byte[] original)
    {
        _original = original;
        var elf = ElfReader.Read(original);
        _regions.Add((0, ElfConstants.HeaderSize));
        long shoff = BitConverter.ToInt64(original, 40);
        _regions.Add(((int)shoff, elf.Sections.Count * ElfConstants.SectionHeaderSize));
        foreach (var s in elf.Sections)
        {
            if (s.Data.Length == 0 || s.Name.StartsWith(".debug", StringComparison.Ordinal) || s.Name.StartsWith(".rel.debug", StringComparison.Ordinal))
                continue;
            _regions.Add(((int)s.FileOffset, s.Data.Length));
        }
    }

    public static int CaseSeed(int seed, int caseNumber) => unchecked(seed * 100_003 + caseNumber);

    /// <summary>The mutated bytes of case <paramref name="caseNumber"/> and a description of the mutation.</summary>
    public (byte[] Bytes, string What) Mutate(int seed, int caseNumber)
    {
        var rng = new Random(CaseSeed(seed, caseNumber));
        var bytes = (byte[])_original.Clone();
        var (start, length) = rng.Next(4) == 0 ? (0, bytes.Length) : _regions[rng.Next(_regions.Count)];
        int At() => start + rng.Next(Math.Max(1, length));
        switch (rng.Next(10))
        {
            case < 5:
            {
                int flips = 1 + rng.Next(8);
                for (int i = 0; i < flips; i++) bytes[At()] ^= (byte)(1 << rng.Next(8));
                return (bytes, $"{flips} bit flips in [{start}, +{length})");
            }
            case < 7:
            {
                int cut = At();
                Array.Resize(ref bytes, cut);
                return (bytes, $"truncated to {cut} bytes");
            }
            default:
            {
                int at = At();
                int run = 1 + rng.Next(64);
                for (int i = 0; i < run && at + i < bytes.Length; i++)
                    bytes[at + i] = rng.Next(3) switch { 0 => 0, 1 => 0xff, _ => (byte)rng.Next(256) };
                return (bytes, $"{run} random bytes at {at}");
            }
        }
    }
}
