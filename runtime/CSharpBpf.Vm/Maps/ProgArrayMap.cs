using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace CSharpBpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_PROG_ARRAY: programs by u32 index, the targets of bpf_tail_call. Programs cannot
/// look it up; tests fill it with <see cref="Set"/> (the syscall's value would be a program fd).
/// </summary>
public sealed class ProgArrayMap : BpfMap
{
    private readonly VmProgram?[] _programs;

    public ProgArrayMap(BpfMachine machine, MapSpec spec) : base(machine, spec)
    {
        if (spec.KeySize != 4 || spec.ValueSize != 4) throw new ArgumentException($"prog_array '{spec.Name}' needs 4-byte keys and values");
        if (spec.MaxEntries <= 0 || spec.MaxEntries > 1 << 20) throw new ArgumentException($"prog_array '{spec.Name}': bad max_entries {spec.MaxEntries}");
        _programs = new VmProgram?[spec.MaxEntries];
    }

    public VmProgram? Get(uint index) => index < (uint)_programs.Length ? _programs[index] : null;

    public void Set(uint index, VmProgram? program)
    {
        if (index >= (uint)_programs.Length) throw new ArgumentOutOfRangeException(nameof(index), index, $"prog_array '{Name}' has {MaxEntries} slots");
        if (program is not null && program.Machine != Machine) throw new ArgumentException("the program belongs to another machine", nameof(program));
        _programs[index] = program;
    }

    public override long UpdateForProgram(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags) => -Errno.EINVAL;

    public override long DeleteForProgram(ReadOnlySpan<byte> key) => -Errno.EINVAL;

    public override byte[]? Lookup(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        return null; // the syscall does not reveal programs either (-EOPNOTSUPP for lookups of prog fds)
    }

    public override long Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        CheckKey(key);
        return -Errno.EINVAL; // values are program fds, which VM programs do not have: use Set
    }

    public override long Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= (uint)_programs.Length) return -Errno.E2BIG;
        if (_programs[index] is null) return -Errno.ENOENT;
        _programs[index] = null;
        return 0;
    }

    public override IEnumerable<byte[]> Keys
    {
        get
        {
            for (uint i = 0; i < (uint)_programs.Length; i++)
            {
                if (_programs[i] is null) continue;
                var k = new byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(k, i);
                yield return k;
            }
        }
    }
}
