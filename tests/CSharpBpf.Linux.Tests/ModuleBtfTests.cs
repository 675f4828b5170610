using System;
using System.Linq;
using CSharpBpf.Linux.KernelTypes;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Native;
using CSharpBpf.Linux.StructOps;
using CSharpBpf.Object.Btf;
using Xunit;

namespace CSharpBpf.Linux.Tests;

/// <summary>The module-BTF paths (kfunc fd_array slots, module-defined struct_ops types) on a synthetic split BTF: no module here defines either.</summary>
public sealed class ModuleBtfTests
{
    private static (KernelBtf Set, ModuleBtf Module, Func<int> Opened) SyntheticKernel()
    {
        var vmlinux = new Btf();
        var i = vmlinux.AddInt("int", 4, BtfIntEncoding.Signed);
        var proto = vmlinux.AddFuncProto(i.Id);
        proto.AddParameter("x", i.Id);
        vmlinux.AddFunc("core_kfunc", proto.Id, BtfFuncLinkage.Global);

        var mod = new Btf(vmlinux);
        var mproto = mod.AddFuncProto(i.Id);
        mproto.AddParameter("x", i.Id);
        mod.AddFunc("mod_kfunc", mproto.Id, BtfFuncLinkage.Global);
        var fnp = mod.AddFuncProto(i.Id);
        var fptr = mod.AddPtr(fnp.Id);
        var charT = mod.AddInt("char", 1, BtfIntEncoding.Char);
        var name = mod.AddArray(charT.Id, i.Id, 16);
        var ops = mod.AddStruct("fake_ops", 32);
        ops.AddMember("flags", i.Id, 0);
        ops.AddMember("run", fptr.Id, 64);
        ops.AddMember("name", name.Id, 128);
        var common = mod.AddStruct("bpf_struct_ops_common_value", 8);
        common.AddMember("refcnt", i.Id, 0);
        common.AddMember("state", i.Id, 32);
        var value = mod.AddStruct("bpf_struct_ops_fake_ops", 48);
        value.AddMember("common", common.Id, 0);
        value.AddMember("data", ops.Id, 128);

        int opened = 0;
        var module = new ModuleBtf("fake_mod", mod, () => { opened++; return Libc.Open("/dev/null"); });
        return (new KernelBtf(vmlinux, new[] { module }), module, () => opened);
    }

    [Fact]
    public void Module_kfunc_gets_an_fd_array_slot_and_vmlinux_kfunc_slot_zero()
    {
        var (set, _, opened) = SyntheticKernel();
        using var resolver = new KfuncResolver(set, null);
        var (coreId, coreSlot) = resolver.ResolveFunction(new ExternSymbol("core_kfunc", true, false, 0, false));
        Assert.Equal(0, coreSlot);
        Assert.Equal((int)set.Vmlinux.FindId("core_kfunc", BtfKind.Func), coreId);
        Assert.Null(resolver.FdArray);

        var (modId, modSlot) = resolver.ResolveFunction(new ExternSymbol("mod_kfunc", true, false, 0, false));
        Assert.Equal(1, modSlot);
        Assert.Equal((int)set.Modules[0].Btf.FindId("mod_kfunc", BtfKind.Func), modId);
        Assert.True(modId > (int)set.Vmlinux.LastId, "module ids continue after vmlinux's (split BTF)");
        Assert.Equal(2, resolver.FdArray!.Count);
        Assert.True(resolver.FdArray[1] > 2);
        resolver.ResolveFunction(new ExternSymbol("mod_kfunc", true, false, 0, false));
        Assert.Equal(1, opened());

        var ex = Assert.Throws<BpfException>(() => resolver.ResolveFunction(new ExternSymbol("nope", true, false, 0, false)));
        Assert.Contains("kfunc 'nope' not found", ex.Message);
    }

    [Fact]
    public void Struct_ops_type_defined_by_a_module_resolves_to_the_module_value_type()
    {
        var (set, module, _) = SyntheticKernel();
        var local = new Btf();
        var li = local.AddInt("int", 4, BtfIntEncoding.Signed);
        var lp = local.AddPtr(local.AddFuncProto(li.Id).Id);
        var lops = local.AddStruct("fake_ops", 16);
        lops.AddMember("run", lp.Id, 0);
        lops.AddMember("flags", li.Id, 64);
        var data = new byte[16];
        BitConverter.GetBytes(7).CopyTo(data, 8);
        var def = new StructOpsDefinition("my_ops", "fake_ops", lops, data, false, new MapDefinition { Name = "my_ops", Kind = MapKind.StructOps });
        def.Programs["run"] = "my_run";

        var layout = StructOpsLayout.Resolve(def, local, set);
        Assert.Same(module, layout.Module);
        Assert.Equal(module.Btf.FindId("bpf_struct_ops_fake_ops", BtfKind.Struct), layout.Value.Type.Id);
        Assert.Equal(16u, layout.DataOffset);
        Assert.Equal(48u, layout.ValueSize);
        Assert.Equal((1, 8u, 8u), layout.Members["run"]);

        var value = layout.BuildValue(local, new System.Collections.Generic.Dictionary<string, int> { ["my_run"] = 42 });
        Assert.Equal(42UL, BitConverter.ToUInt64(value, 16 + 8));
        Assert.Equal(7, BitConverter.ToInt32(value, 16 + 0));
        Assert.Equal(0, value.Take(16).Sum(b => b));
    }

    [Fact]
    public void Struct_ops_member_the_kernel_lacks_is_an_error_naming_it()
    {
        var (set, _, _) = SyntheticKernel();
        var local = new Btf();
        var li = local.AddInt("int", 4, BtfIntEncoding.Signed);
        var lops = local.AddStruct("fake_ops", 4);
        lops.AddMember("newer_field", li.Id, 0);
        var def = new StructOpsDefinition("x", "fake_ops", lops, BitConverter.GetBytes(1), false, new MapDefinition());
        var ex = Assert.Throws<BpfException>(() => StructOpsLayout.Resolve(def, local, set));
        Assert.Contains("member 'newer_field' does not exist in the kernel's struct fake_ops", ex.Message);
    }
}
