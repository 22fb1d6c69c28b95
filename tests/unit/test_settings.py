from desktopchat.chat.store import ChatStore
from desktopchat.settings import AppSettings, ModelSettings, Settings


def test_defaults_and_roundtrip(app_paths):
    store = ChatStore(app_paths.db_path)
    s = Settings(store)
    assert s.model("m") == ModelSettings()
    custom = ModelSettings(system_prompt="Talk like a pirate.", temperature=0.2, top_k=7,
                           max_tokens=99, context_length=1024, threads=3)
    s.save_model("m", custom)
    store.close()
    again = Settings(ChatStore(app_paths.db_path))
    assert again.model("m") == custom
    assert again.model("other") == ModelSettings()


def test_bad_values_fall_back_per_field():
    data = {"temperature": "hot", "top_k": 10**9, "top_p": 0.5, "max_tokens": True,
            "system_prompt": 42, "unknown": 1, "context_length": 2048.0}
    s = ModelSettings.from_dict(data)
    assert s.temperature == ModelSettings().temperature
    assert s.top_k == ModelSettings().top_k
    assert s.top_p == 0.5
    assert s.max_tokens == ModelSettings().max_tokens
    assert s.system_prompt == ModelSettings().system_prompt
    assert s.context_length == 2048
    assert ModelSettings.from_dict(None) == ModelSettings()
    assert ModelSettings.from_dict([1, 2]) == ModelSettings()


def test_app_settings_update(app_paths):
    store = ChatStore(app_paths.db_path)
    s = Settings(store)
    assert s.app() == AppSettings()
    s.update_app(offline=True, last_model_id="x")
    assert s.app().offline is True and s.app().last_model_id == "x"
    assert s.model("x").to_dict()["version"] == 1


def test_resolved_threads_positive():
    assert ModelSettings().resolved_threads() >= 1
    assert ModelSettings(threads=5).resolved_threads() == 5


def test_where_a_model_runs_is_a_setting_checked_like_the_others():
    ms = ModelSettings.from_dict({"device": "Vulkan0", "gpu_layers": 12})
    assert (ms.device, ms.gpu_layers) == ("Vulkan0", 12)
    assert ModelSettings().device == "auto" and ModelSettings().gpu_layers == -1
    # a hand-edited file: anything that is not a device name, or a count out of range, is reset
    bad = ModelSettings.from_dict({"device": "<b>GPU</b>", "gpu_layers": -7})
    assert (bad.device, bad.gpu_layers) == ("auto", -1)
    assert ModelSettings.from_dict({"device": "x" * 200}).device == "auto"
    app = AppSettings.from_dict({"gpu_memory_cap_mb": 512})
    assert app.device_memory_cap_bytes() == 512 * 2**20
    assert AppSettings().device_memory_cap_bytes() == 0
    assert AppSettings.from_dict({"gpu_memory_cap_mb": -1}).gpu_memory_cap_mb == 0
