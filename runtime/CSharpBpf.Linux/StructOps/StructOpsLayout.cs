using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Linux.KernelTypes;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Linux.StructOps;

/// <summary>
/// A struct_ops variable laid out against the running kernel: the kernel's ops struct and
/// `bpf_struct_ops_NAME` value type (vmlinux or a module), the byte offset of `data` in the value,
/// and for each local member the kernel member's index and offset.
/// </summary>
public sealed class StructOpsLayout
{
    private StructOpsLayout(StructOpsDefinition def, KernelType ops, KernelType value, uint dataOffset, uint valueSize)
    {
        Definition = def;
        Ops = ops;
        Value = value;
        DataOffset = dataOffset;
        ValueSize = valueSize;
    }

    public StructOpsDefinition Definition { get; }
    public KernelType Ops { get; }
    public KernelType Value { get; }
    public uint DataOffset { get; }
    public uint ValueSize { get; }
    /// <summary>Local member name → (kernel member index, byte offset in the ops struct, size).</summary>
    public Dictionary<string, (int Index, uint Offset, uint Size)> Members { get; } = new();

    public ModuleBtf? Module => Ops.Module;

    public static StructOpsLayout Resolve(StructOpsDefinition def, Btf local, KernelBtf kernel)
    {
        var ops = kernel.Find(def.TypeName, BtfKind.Struct)
            ?? throw new BpfException($"struct_ops '{def.Name}': the kernel has no struct {def.TypeName}");
        string valueName = "bpf_struct_ops_" + def.TypeName;
        var btf = ops.Module?.Btf ?? kernel.Vmlinux;
        var valueType = btf.Find(valueName, BtfKind.Struct)
            ?? throw new BpfException($"struct_ops '{def.Name}': the kernel has no {valueName} (struct {def.TypeName} is not a struct_ops type)");
        var value = new KernelType(valueType, ops.Module);
        var vs = (BtfStruct)valueType;
        var data = vs.FindMember("data") ?? throw new BpfException($"struct_ops '{def.Name}': {valueName} has no 'data' member");
        var layout = new StructOpsLayout(def, ops, value, data.ByteOffset, vs.Size);
        var kstruct = (BtfStruct)ops.Type;
        foreach (var m in def.LocalType.Members)
        {
            int idx = kstruct.Members.FindIndex(k => k.Name == m.Name);
            if (idx < 0)
            {
                bool zero = def.Data.Skip((int)m.ByteOffset).Take((int)local.SizeOf(m.TypeId)).All(b => b == 0);
                if (def.Programs.ContainsKey(m.Name) || !zero)
                    throw new BpfException($"struct_ops '{def.Name}': member '{m.Name}' does not exist in the kernel's struct {def.TypeName}");
                continue;
            }
            var km = kstruct.Members[idx];
            layout.Members[m.Name] = (idx, km.ByteOffset, (uint)btf.SizeOf(km.TypeId));
        }
        return layout;
    }

    /// <summary>The map value: data members copied from the object's bytes, program members set to program fds.</summary>
    public byte[] BuildValue(Btf local, IReadOnlyDictionary<string, int> programFds)
    {
        var value = new byte[ValueSize];
        foreach (var m in Definition.LocalType.Members)
        {
            if (!Members.TryGetValue(m.Name, out var k)) continue;
            int dst = (int)(DataOffset + k.Offset);
            if (Definition.Programs.TryGetValue(m.Name, out var prog))
            {
                System.BitConverter.GetBytes((ulong)programFds[prog]).CopyTo(value, dst);
                continue;
            }
            uint localSize = (uint)local.SizeOf(m.TypeId);
            var src = Definition.Data.Skip((int)m.ByteOffset).Take((int)localSize).ToArray();
            if (src.All(b => b == 0)) continue;
            if (local.ResolveModifiers(m.TypeId) is BtfPtr)
                throw new BpfException($"struct_ops '{Definition.Name}': member '{m.Name}' is a non-null pointer that is not a program");
            if (localSize != k.Size)
                throw new BpfException($"struct_ops '{Definition.Name}': member '{m.Name}' is {localSize} bytes in the object but {k.Size} in the kernel");
            src.CopyTo(value, dst);
        }
        return value;
    }
}
