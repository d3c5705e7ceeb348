import http.server
print("placeholder: the real app is examples/todos/todo_api.py")
